-- A token's position in its slot (and on its slot's waitlist) is no longer stored: it follows
-- from the fields the queue is ordered by (priority, requested_at, number) and the token's slot
-- and status, and is computed where it is read. Storing it made every token issue rewrite the
-- row of each token it moved down a place. Nothing is lost: each command's `position` is
-- recomputed from the event log, and `loket opd replay --check` compares the log's positions
-- with the ones the stored rows give.
ALTER TABLE opd_tokens DROP COLUMN position;
ALTER TABLE opd_tokens DROP COLUMN waitlist_position;
