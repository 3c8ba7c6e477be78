using Supervisor.Cli;

return await SupCli.RunAsync(args);
