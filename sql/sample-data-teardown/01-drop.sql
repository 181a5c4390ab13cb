-- Runs only when aurora:dropSampleDataOnDelete is true and the SampleData resource is deleted.
DROP DATABASE IF EXISTS tutorial;
