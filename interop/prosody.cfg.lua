-- Prosody on loopback for the interop tests (see docs/real-software.md).
-- One file for every variant: ENV_LAB_* are the environment variables LAB_* (Prosody's
-- ENV_ convention), set by interop/prosody.ts.
run_as_root = true
daemonize = false
pidfile = ENV_LAB_DIR .. "/prosody.pid"
interfaces = { "127.0.0.1" }
c2s_ports = { tonumber(ENV_LAB_C2S) }
c2s_direct_tls_ports = { tonumber(ENV_LAB_DIRECT) }
s2s_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "dialback" }
modules_disabled = { "s2s"; "s2s_auth_certs"; "offline" }
c2s_require_encryption = ENV_LAB_REQUIRE == "1"
allow_unencrypted_plain_auth = ENV_LAB_PLAIN == "1"
authentication = "internal_plain"
storage = "internal"
data_path = ENV_LAB_DIR .. "/data"
certificates = ENV_LAB_DIR .. "/certs"
ssl = { certificate = ENV_LAB_DIR .. "/certs/lab.example.crt"; key = ENV_LAB_DIR .. "/certs/lab.example.key" }
log = { { levels = { min = "info" }, to = "file", filename = ENV_LAB_DIR .. "/prosody.log" } }
VirtualHost "lab.example"
