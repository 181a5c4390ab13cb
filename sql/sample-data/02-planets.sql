-- The workshop's eight planets with fixed ids, so re-applying updates rows instead of adding
-- copies (the workshop's plain INSERT would duplicate them on every run).
INSERT INTO tutorial.planet (id, name) VALUES
  (1, 'Mercury'),
  (2, 'Venus'),
  (3, 'Earth'),
  (4, 'Mars'),
  (5, 'Jupiter'),
  (6, 'Saturn'),
  (7, 'Uranus'),
  (8, 'Neptune')
ON DUPLICATE KEY UPDATE name = VALUES(name);
