-- The workshop's schema. IF NOT EXISTS makes a second run a no-op.
CREATE DATABASE IF NOT EXISTS tutorial;

CREATE TABLE IF NOT EXISTS tutorial.planet (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(30),
  PRIMARY KEY (id)
);
