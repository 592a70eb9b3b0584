-- deploy/compose/init-db.sql: provisions PostgreSQL for docker-compose.yml.
--
-- Run once by the postgres image's entrypoint (/docker-entrypoint-initdb.d), only when the data
-- volume is empty, as the superuser, with psql (so \gexec works), connected to the `ticketing`
-- database that POSTGRES_DB already created. Re-running it is harmless (idempotent).
--
-- Same SQL as provision_postgres in scripts/infra: one role and one schema per service
-- (role = schema = service name), each role with rights on its own schema only; plus the
-- ticketing_admin superuser that scripts/infra also creates (tests, ad-hoc inspection).
--
-- DEV DEFAULTS: the passwords below ('<service>_dev_password', 'ticketing_admin_dev_password')
-- are the development defaults, public in this repository. Never use them for a real deployment.

SET client_min_messages = warning;

SELECT 'CREATE ROLE gateway' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gateway')\gexec
SELECT 'CREATE ROLE inventory' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'inventory')\gexec
SELECT 'CREATE ROLE orders' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orders')\gexec
SELECT 'CREATE ROLE payments' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'payments')\gexec
SELECT 'CREATE ROLE documents' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'documents')\gexec
SELECT 'CREATE ROLE notifications' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'notifications')\gexec
SELECT 'CREATE ROLE ticketing_admin' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ticketing_admin')\gexec

ALTER ROLE ticketing_admin LOGIN SUPERUSER CREATEROLE PASSWORD 'ticketing_admin_dev_password';  -- DEV DEFAULT
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE ticketing FROM PUBLIC;

-- gateway
ALTER ROLE gateway LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'gateway_dev_password';  -- DEV DEFAULT
ALTER ROLE gateway SET search_path = gateway;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION gateway;
ALTER SCHEMA gateway OWNER TO gateway;
GRANT CONNECT ON DATABASE ticketing TO gateway;

-- inventory
ALTER ROLE inventory LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'inventory_dev_password';  -- DEV DEFAULT
ALTER ROLE inventory SET search_path = inventory;
CREATE SCHEMA IF NOT EXISTS inventory AUTHORIZATION inventory;
ALTER SCHEMA inventory OWNER TO inventory;
GRANT CONNECT ON DATABASE ticketing TO inventory;

-- orders
ALTER ROLE orders LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'orders_dev_password';  -- DEV DEFAULT
ALTER ROLE orders SET search_path = orders;
CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION orders;
ALTER SCHEMA orders OWNER TO orders;
GRANT CONNECT ON DATABASE ticketing TO orders;

-- payments
ALTER ROLE payments LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'payments_dev_password';  -- DEV DEFAULT
ALTER ROLE payments SET search_path = payments;
CREATE SCHEMA IF NOT EXISTS payments AUTHORIZATION payments;
ALTER SCHEMA payments OWNER TO payments;
GRANT CONNECT ON DATABASE ticketing TO payments;

-- documents
ALTER ROLE documents LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'documents_dev_password';  -- DEV DEFAULT
ALTER ROLE documents SET search_path = documents;
CREATE SCHEMA IF NOT EXISTS documents AUTHORIZATION documents;
ALTER SCHEMA documents OWNER TO documents;
GRANT CONNECT ON DATABASE ticketing TO documents;

-- notifications
ALTER ROLE notifications LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'notifications_dev_password';  -- DEV DEFAULT
ALTER ROLE notifications SET search_path = notifications;
CREATE SCHEMA IF NOT EXISTS notifications AUTHORIZATION notifications;
ALTER SCHEMA notifications OWNER TO notifications;
GRANT CONNECT ON DATABASE ticketing TO notifications;
