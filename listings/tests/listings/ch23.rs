//! Chapter 23: measuring concurrent performance.
