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

-- Golmud's 考核管理系统 also keeps the inputs merged into the total score (seed 004). Its checks are loose on purpose:
-- the source takes what the units and citizens enter, and the warehouse sets the bad rows aside by rule.
-- Special assessments (专项考核: 安全生产, 党风廉政建设, 信访维稳, …), each scored out of 100 by the office that runs it.
CREATE TABLE special_assessment (
    id           bigint PRIMARY KEY,
    unit_id      bigint        NOT NULL,
    assessment   text          NOT NULL,
    assessed_on  date          NOT NULL,
    score        numeric(5, 2) NOT NULL,
    updated_at   timestamp NOT NULL DEFAULT localtimestamp
);

-- Mutual evaluation between units (单位互评): each unit's leadership team scores other units for the year, out of 100.
CREATE TABLE mutual_evaluation (
    id               bigint PRIMARY KEY,
    rater_unit_id    bigint        NOT NULL,
    rated_unit_id    bigint        NOT NULL,
    assessment_year  integer       NOT NULL,
    score            numeric(5, 2) NOT NULL,
    submitted_at     timestamp     NOT NULL,
    updated_at       timestamp NOT NULL DEFAULT localtimestamp
);

-- Public satisfaction (社会评价): a citizen's rating of a service window, by QR code, SMS or at the window, 5 非常满意 …
-- 1 非常不满意; case_id the service case rated, when the rating came with one.
CREATE TABLE satisfaction_rating (
    id          bigint PRIMARY KEY,
    unit_id     bigint    NOT NULL,
    case_id     bigint,
    channel     text      NOT NULL,
    rating      smallint  NOT NULL,
    rated_at    timestamp NOT NULL,
    updated_at  timestamp NOT NULL DEFAULT localtimestamp
);
