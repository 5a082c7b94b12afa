//! Chapter 25: fan-out, fan-in and pipelines.
