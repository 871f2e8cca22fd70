#!/usr/bin/env bash
# What the tests need from this machine, made ready before they run (`npm test` calls this first):
# PostgreSQL at 127.0.0.1:5432 (started when it is down), the database the tests use (`ntm_test`), and Debian's
# Chromium for the dashboard's end-to-end tests (installed when missing). A step that cannot be done fails loudly:
# no test is skipped for want of it.
set -euo pipefail

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
fi
pg_isready -h 127.0.0.1 -p 5432 >/dev/null

# The database the storage adapter's tests use (each test uses fresh stream ids; nothing truncates it).
if ! psql -h 127.0.0.1 -U postgres -d test -tAc "SELECT 1 FROM pg_database WHERE datname = 'ntm_test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE DATABASE ntm_test"
fi

# The dashboard's end-to-end tests drive Debian's Chromium with playwright-core (no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  apt-get install -y chromium >/dev/null || (apt-get update >/dev/null && apt-get install -y chromium >/dev/null)
fi
