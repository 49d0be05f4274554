using Broker.Server;

return await BrokerApp.RunAsync(args);
