-- One database per service (each service owns its tables; none reads another's).
-- Run by the postgres image on first start (docker-entrypoint-initdb.d, via psql), and safe to
-- run again by hand or in CI:
--   psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -f infra/postgres/init/01-databases.sql
-- CREATE DATABASE cannot run inside a DO block or a function, hence the \gexec pattern: each
-- SELECT yields the statement only when the database is missing, and psql executes it.
SELECT 'CREATE DATABASE shanhai_intake'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'shanhai_intake')\gexec

SELECT 'CREATE DATABASE shanhai_workflow'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'shanhai_workflow')\gexec

SELECT 'CREATE DATABASE shanhai_notifier'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'shanhai_notifier')\gexec
