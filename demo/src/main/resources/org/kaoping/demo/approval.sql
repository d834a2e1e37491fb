-- Approval and supervision system (审批服务 / 督办 / 目标任务). Units and staff are ids of the work-log system.
CREATE TABLE service_item (
    id                      bigint PRIMARY KEY,
    unit_id                 bigint  NOT NULL,
    name                    text    NOT NULL,
    legal_limit_days        integer NOT NULL CHECK (legal_limit_days > 0),
    promised_limit_days     integer NOT NULL CHECK (promised_limit_days > 0),
    updated_at              timestamp NOT NULL DEFAULT localtimestamp
);

CREATE TABLE service_case (
    id            bigint PRIMARY KEY,
    item_id       bigint    NOT NULL REFERENCES service_item (id),
    accepted_at   timestamp NOT NULL,
    completed_at  timestamp,
    status        text      NOT NULL CHECK (status IN ('ACCEPTED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED', 'TRANSFERRED')),
    handler_id    bigint,
    updated_at    timestamp NOT NULL DEFAULT localtimestamp,
    CHECK (completed_at IS NULL OR completed_at >= accepted_at)
);

CREATE TABLE supervision_item (
    id                    bigint PRIMARY KEY,
    unit_id               bigint    NOT NULL,
    responsible_staff_id  bigint,   -- who answers for it (定人员); null: the item names no one, only its unit
    title                 text      NOT NULL,
    assigned_at           timestamp NOT NULL,
    deadline              date      NOT NULL,
    completed_at          timestamp,
    status                text      NOT NULL CHECK (status IN ('OPEN', 'COMPLETED', 'CANCELLED')),
    penalty               text      NOT NULL DEFAULT 'NONE'
                          CHECK (penalty IN ('NONE', 'REMINDER', 'TALK', 'NOTICE', 'ADMONITION', 'ACCOUNTABILITY')),
    updated_at            timestamp NOT NULL DEFAULT localtimestamp
);

CREATE TABLE target_task (
    id                     bigint PRIMARY KEY,
    unit_id                bigint  NOT NULL,
    title                  text    NOT NULL,
    kind                   text    NOT NULL CHECK (kind IN ('COMMON', 'INDIVIDUAL')),
    points                 numeric(5, 2) NOT NULL CHECK (points > 0 AND points <= 100),
    responsible_leader_id  bigint  NOT NULL,
    planned_start          date    NOT NULL,
    planned_end            date    NOT NULL CHECK (planned_end >= planned_start),
    updated_at             timestamp NOT NULL DEFAULT localtimestamp
);

-- Planned cumulative progress per month, as set when the task is assigned.
CREATE TABLE target_task_plan (
    task_id           bigint  NOT NULL REFERENCES target_task (id),
    month             date    NOT NULL CHECK (extract(day FROM month) = 1),
    planned_progress  numeric(5, 2) NOT NULL CHECK (planned_progress BETWEEN 0 AND 100),
    updated_at        timestamp NOT NULL DEFAULT localtimestamp,
    PRIMARY KEY (task_id, month)
);

CREATE TABLE task_progress (
    task_id            bigint  NOT NULL REFERENCES target_task (id),
    month              date    NOT NULL CHECK (extract(day FROM month) = 1),
    reported_progress  numeric(5, 2) NOT NULL CHECK (reported_progress BETWEEN 0 AND 100),
    evidence_count     integer NOT NULL DEFAULT 0,
    reported_at        timestamp NOT NULL,
    verified           boolean NOT NULL DEFAULT false,
    updated_at         timestamp NOT NULL DEFAULT localtimestamp,
    PRIMARY KEY (task_id, month)
);
