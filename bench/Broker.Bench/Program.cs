using Broker.Bench;

return await BenchCommand.RunAsync(args);
