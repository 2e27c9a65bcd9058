-- The chronology keeps each event as json, the text it was given once validated: it is only ever read
-- whole, so building jsonb as each row is inserted, and text from it again at each read, bought nothing.
ALTER TABLE chronology ALTER COLUMN event TYPE json USING event::json;
