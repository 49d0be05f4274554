namespace Broker.Registry.Database;

/// <summary>Whether the schema has been migrated in this process; writers wait for it before their first write.</summary>
public sealed class SchemaState
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once <see cref="SchemaMigrator.MigrateAsync"/> succeeded.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Completes when the schema is ready (or the token is cancelled).</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    internal void MarkReady() => _ready.TrySetResult();
}
