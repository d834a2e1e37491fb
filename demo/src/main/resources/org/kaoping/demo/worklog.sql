-- Work-log system (工作日志): organisation mirror of the real-name staffing register, logs and reviews.
CREATE TABLE unit (
    id                   bigint PRIMARY KEY,
    name                 text    NOT NULL,
    level                text    NOT NULL CHECK (level IN ('CITY', 'COUNTY', 'TOWNSHIP')),
    type                 text    NOT NULL CHECK (type IN ('PARTY', 'GOVERNMENT', 'INSTITUTION')),
    parent_unit_id       bigint  REFERENCES unit (id),
    authorized_headcount integer NOT NULL CHECK (authorized_headcount >= 0),
    peer_group           text    NOT NULL,
    updated_at           timestamp NOT NULL DEFAULT localtimestamp
);

CREATE TABLE staff (
    id              bigint PRIMARY KEY,
    unit_id         bigint  NOT NULL REFERENCES unit (id),
    section_id      bigint,
    display_name    text    NOT NULL,
    national_id     char(18) NOT NULL UNIQUE,
    role            text    NOT NULL CHECK (role IN ('PRINCIPAL_LEADER', 'DEPUTY_LEADER', 'SECTION_CHIEF', 'STAFF')),
    post_duties     text,
    active_from     date    NOT NULL,
    active_to       date,
    updated_at      timestamp NOT NULL DEFAULT localtimestamp,
    CHECK (active_to IS NULL OR active_to >= active_from)
);

CREATE TABLE section (
    id                     bigint PRIMARY KEY,
    unit_id                bigint  NOT NULL REFERENCES unit (id),
    name                   text    NOT NULL,
    authorized_headcount   integer NOT NULL CHECK (authorized_headcount >= 0),
    supervising_leader_id  bigint  REFERENCES staff (id) DEFERRABLE INITIALLY DEFERRED,
    updated_at             timestamp NOT NULL DEFAULT localtimestamp
);

ALTER TABLE staff ADD FOREIGN KEY (section_id) REFERENCES section (id) DEFERRABLE INITIALLY DEFERRED;

-- The nine common categories have unit_id NULL; a unit's own categories (个性指标) carry its id.
CREATE TABLE work_category (
    code        text PRIMARY KEY,
    name        text   NOT NULL,
    unit_id     bigint REFERENCES unit (id),
    updated_at  timestamp NOT NULL DEFAULT localtimestamp
);

-- The duty register (职能任务): each unit's mandated functions (三定) decomposed to its sections; section_id NULL is
-- a duty of the unit as a whole. shared_code marks a duty the city's boundary list (职责边界清单) assigns to several units.
CREATE TABLE duty (
    id           bigint PRIMARY KEY,
    unit_id      bigint  NOT NULL REFERENCES unit (id),
    section_id   bigint  REFERENCES section (id),
    name         text    NOT NULL,
    origin       text    NOT NULL CHECK (origin IN ('MANDATE', 'ASSIGNED')),
    shared_code  text,
    active       boolean NOT NULL DEFAULT true,
    updated_at   timestamp NOT NULL DEFAULT localtimestamp
);

CREATE TABLE work_log (
    id               bigint PRIMARY KEY,
    staff_id         bigint  NOT NULL REFERENCES staff (id),
    work_date        date    NOT NULL,
    category         text    NOT NULL REFERENCES work_category (code),
    minutes          integer NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    duty_id          bigint  REFERENCES duty (id),
    content          text    NOT NULL,
    attachment_count integer NOT NULL DEFAULT 0 CHECK (attachment_count >= 0),
    status           text    NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED')),
    submitted_at     timestamp,
    -- a returned log corrected and submitted again starts the next review round; submitted_at stays the first submission
    review_round     smallint NOT NULL DEFAULT 1 CHECK (review_round >= 1),
    resubmitted_at   timestamp,
    created_at       timestamp NOT NULL,
    updated_at       timestamp NOT NULL DEFAULT localtimestamp,
    CHECK (status = 'DRAFT' OR submitted_at IS NOT NULL),
    CHECK ((review_round = 1) = (resubmitted_at IS NULL))
);
CREATE INDEX work_log_staff_date ON work_log (staff_id, work_date);

CREATE TABLE log_review (
    id           bigint PRIMARY KEY,
    log_id       bigint   NOT NULL REFERENCES work_log (id),
    reviewer_id  bigint   NOT NULL REFERENCES staff (id),
    level        smallint NOT NULL CHECK (level IN (1, 2)),
    review_round smallint NOT NULL DEFAULT 1 CHECK (review_round >= 1),
    decision     text     NOT NULL CHECK (decision IN ('APPROVED', 'RETURNED', 'COMMENTED')),
    comment      text,
    reviewed_at  timestamp NOT NULL,
    updated_at   timestamp NOT NULL DEFAULT localtimestamp
);
CREATE INDEX log_review_log ON log_review (log_id);
