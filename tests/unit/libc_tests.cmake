# Host tests of the user C library.
