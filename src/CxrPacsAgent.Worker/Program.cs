using CxrPacsAgent.Worker.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
