using Broker.Testing;

namespace Broker.Registry.Tests.Support;

/// <summary>One real PostgreSQL server shared by the test classes of the "postgres" collection; each class makes its own database.</summary>
public sealed class SharedPostgres : IDisposable
{
    private int _next;

    public PostgresServer Server { get; } = PostgresServer.StartNew();

    /// <summary>A new, empty database with a unique name.</summary>
    public string NewDatabase(string prefix) =>
        Server.CreateDatabase($"{prefix}_{Interlocked.Increment(ref _next)}");

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<SharedPostgres>
{
    public const string Name = "postgres";
}
