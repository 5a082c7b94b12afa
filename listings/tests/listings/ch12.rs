//! Chapter 12: shared queues and work stealing.
