-- Every read of a child asks which organisations the hub told about it (a notification is a relationship
-- with the child for a while): without this index that question read the whole table, so each read cost
-- more as notifications grew (about 25 ms a read once a burst of incidents had raised tens of thousands).
CREATE INDEX notifications_by_child ON notifications (child_id);
