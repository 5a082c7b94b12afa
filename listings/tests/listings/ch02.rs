//! Chapter 2: message passing with channels.
