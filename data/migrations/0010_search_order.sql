-- Search results in the order they are shown, straight from the index.
-- Search lists the newest flags first. With each post's docid its own id,
-- FTS4 handed back every match in id order and SQLite joined all of them
-- to posts to sort them by flag time: at a million posts a common word
-- cost a hundred milliseconds. A post's docid is now its flag time and id
-- in one integer (searchDocid in search_index.go), which sorts as search
-- shows them, so a page of results is the first matches FTS4 reads and
-- only those are joined. The index is rebuilt from the posts by the Go
-- step after this one (indexExisting).
DROP TABLE posts_search;
CREATE VIRTUAL TABLE posts_search USING fts4(content="", text, author, author_id, url,
    tokenize=unicode61 "remove_diacritics=2");
