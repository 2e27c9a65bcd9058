-- Where each of the view's subscriptions to the event store has got to: the place after the last batch
-- it applied, written in that batch's transaction. Not a read model's table: a swap leaves it here, beside
-- the applied-events marks it goes with.
CREATE TABLE store_subscriptions (
  name text PRIMARY KEY,
  transaction_id text NOT NULL,
  position text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
