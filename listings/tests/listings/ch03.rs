//! Chapter 3: many producers, one consumer.
