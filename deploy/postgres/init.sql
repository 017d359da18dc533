-- Thi Hành: one database per service, each owned by its own login role (compose: mounted into
-- /docker-entrypoint-initdb.d, run once by the postgres image when its data volume is empty, as the
-- superuser, with psql). The four roles' password comes from THIHANH_DB_PASSWORD in the container's
-- environment (psql's \getenv), never from this file. A service's role can reach only its own
-- database: CONNECT is taken from PUBLIC. Migrations run at each service's start, as that role
-- (the owner), so nothing else is created here.
\set ON_ERROR_STOP on
\getenv db_password THIHANH_DB_PASSWORD
\if :{?db_password}
  SELECT length(:'db_password') >= 12 AS db_password_ok \gset
\else
  \set db_password_ok false
\endif
\if :db_password_ok
\else
  \echo 'THIHANH_DB_PASSWORD must be set, at least 12 characters: it is the service roles\' password'
  SELECT 1 / 0 AS thihanh_db_password_missing;
\endif

CREATE ROLE thihanh_plan_registry LOGIN PASSWORD :'db_password';
CREATE DATABASE thihanh_plan_registry OWNER thihanh_plan_registry;
REVOKE ALL ON DATABASE thihanh_plan_registry FROM PUBLIC;

CREATE ROLE thihanh_task_assignment LOGIN PASSWORD :'db_password';
CREATE DATABASE thihanh_task_assignment OWNER thihanh_task_assignment;
REVOKE ALL ON DATABASE thihanh_task_assignment FROM PUBLIC;

CREATE ROLE thihanh_decree_consultation LOGIN PASSWORD :'db_password';
CREATE DATABASE thihanh_decree_consultation OWNER thihanh_decree_consultation;
REVOKE ALL ON DATABASE thihanh_decree_consultation FROM PUBLIC;

CREATE ROLE thihanh_reporting LOGIN PASSWORD :'db_password';
CREATE DATABASE thihanh_reporting OWNER thihanh_reporting;
REVOKE ALL ON DATABASE thihanh_reporting FROM PUBLIC;
