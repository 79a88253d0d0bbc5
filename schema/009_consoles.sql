-- 009_consoles.sql: the web installer, the admin console and the
-- developer console.
-- Administrators and disabled accounts; a login's age for re-asking the
-- password before sensitive actions.
ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false,
	ADD COLUMN disabled boolean NOT NULL DEFAULT false;
ALTER TABLE sessions ADD COLUMN auth_at timestamptz NOT NULL DEFAULT now();

-- An app registered in the developer console belongs to a user; under
-- review it logs in only that user, suspended nobody. Clients made by
-- oauthctl or an administrator have no owner_user_id and are approved.
ALTER TABLE clients
	ADD COLUMN status text NOT NULL DEFAULT 'approved'
	    CHECK (status IN ('approved', 'review', 'suspended')),
	ADD COLUMN owner_user_id bigint REFERENCES users(id) ON DELETE CASCADE,
	ADD COLUMN description text NOT NULL DEFAULT '',
	ADD COLUMN icon text NOT NULL DEFAULT '',
	ADD COLUMN icp text NOT NULL DEFAULT '';
CREATE INDEX clients_owner_user ON clients (owner_user_id)
	WHERE owner_user_id IS NOT NULL;

-- Every change made in the consoles and the installer: who, what, when,
-- from which address. Secrets and passwords are never written here.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor		text NOT NULL,
	action		text NOT NULL,
	target		text NOT NULL DEFAULT '',
	detail		text NOT NULL DEFAULT '',
	address		text NOT NULL DEFAULT ''
);
