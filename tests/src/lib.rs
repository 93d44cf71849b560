//! End-to-end test support: the real server in its own process, and a fault-injecting proxy.
