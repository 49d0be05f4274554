using Broker.Core.Configuration;
using Broker.Registry.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Registry.Providers;

/// <summary>What became of a sync request.</summary>
/// <param name="Result">The changes written; null when the sync was deferred.</param>
/// <param name="Deferred">True when the registry could not be written now; the newest provider list is kept
/// and written by the background loop once the database is back.</param>
/// <param name="Error">Why it was deferred.</param>
public sealed record RegistrySyncOutcome(RegistrySyncResult? Result, bool Deferred, string? Error);

/// <summary>
/// Keeps the registry in step with providers.yaml. The server calls <see cref="SyncAsync"/> after it loads the
/// file at start-up and after each successful reload. A database that is down (or not migrated yet) never fails
/// the caller: the list is remembered and written in the background, with backoff, when PostgreSQL answers.
/// </summary>
public sealed partial class RegistrySyncService : BackgroundService
{
    private readonly IProviderRegistryStore _store;
    private readonly SchemaState? _schema;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistrySyncService> _logger;
    private readonly SemaphoreSlim _pendingSignal = new(0, 1);
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private IReadOnlyList<ProviderConfig>? _pending;

    /// <param name="schema">The schema state when PostgreSQL is used; null for the in-memory store.</param>
    public RegistrySyncService(IProviderRegistryStore store, SchemaState? schema, RegistryOptions options, TimeProvider time,
        ILogger<RegistrySyncService> logger)
    {
        _store = store;
        _schema = schema;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The last changes written (null before the first successful sync).</summary>
    public RegistrySyncResult? LastResult { get; private set; }

    /// <summary>
    /// Writes <paramref name="providers"/> into the registry now if it can, else defers it (see the type's remarks).
    /// Only cancellation of <paramref name="cancellationToken"/> throws.
    /// </summary>
    public async Task<RegistrySyncOutcome> SyncAsync(IReadOnlyList<ProviderConfig> providers, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _pending, providers);
        if (_schema is { IsReady: false }) return Defer("the registry schema is not migrated yet (PostgreSQL unreachable?)");
        try
        {
            var result = await TrySyncPendingAsync(cancellationToken).ConfigureAwait(false);
            return new RegistrySyncOutcome(result, false, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Defer(ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _options.RetryInitialDelay;
        try
        {
            if (_schema is not null) await _schema.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref _pending) is null)
                {
                    await _pendingSignal.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    await TrySyncPendingAsync(stoppingToken).ConfigureAwait(false);
                    delay = _options.RetryInitialDelay;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRetry(_logger, delay.TotalMilliseconds, ex.Message);
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                    delay = Backoff.Next(delay, _options.RetryMaxDelay);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the newest pending list, if any; a list that arrives meanwhile stays pending.</summary>
    private async Task<RegistrySyncResult?> TrySyncPendingAsync(CancellationToken cancellationToken)
    {
        await _syncGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var providers = Volatile.Read(ref _pending);
            if (providers is null) return LastResult;
            var result = await _store.SyncAsync(providers, cancellationToken).ConfigureAwait(false);
            Interlocked.CompareExchange(ref _pending, null, providers);
            LastResult = result;
            return result;
        }
        finally
        {
            _syncGate.Release();
        }
    }

    private RegistrySyncOutcome Defer(string error)
    {
        LogDeferred(_logger, error);
        if (_pendingSignal.CurrentCount == 0)
        {
            try { _pendingSignal.Release(); } catch (SemaphoreFullException) { }
        }
        return new RegistrySyncOutcome(null, true, error);
    }

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Provider registry sync deferred: {Error}")]
    private static partial void LogDeferred(ILogger logger, string error);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Provider registry sync failed; retrying in {DelayMs} ms: {Error}")]
    private static partial void LogRetry(ILogger logger, double delayMs, string error);
}
