package org.kaoping.app;

import picocli.CommandLine.Command;

@Command(name = "dashboards", mixinStandardHelpOptions = true,
    description = {"Deploy the Apache Superset dashboards and leaders' logins.",
        "The Apache Superset dashboards (assets in dashboards/assets of the repository).",
        "'kaoping up' starts a local Superset with them; these commands work against any Superset."},
    subcommands = {DeployCommand.class, LeaderCommand.class})
final class DashboardsCommand {}
