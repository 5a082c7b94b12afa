//! Chapter 17: select! and cancellation.
