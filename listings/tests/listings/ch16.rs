//! Chapter 16: async channels.
