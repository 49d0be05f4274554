using System.Diagnostics.Metrics;
using Broker.Core.Telemetry;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Broker.Sessions.Redis;

/// <summary>
/// The one Redis connection of the process, and the guard every call goes through: each call gets at most
/// <see cref="BrokerSessionOptions.RedisTimeout"/>, and after a failure calls are refused at once for a backoff that
/// doubles up to <see cref="BrokerSessionOptions.RedisMaxBackoff"/>, so a dead Redis is neither waited on nor
/// hammered. The multiplexer reconnects by itself; the first call after the backoff that succeeds closes the circuit.
/// </summary>
internal sealed partial class RedisConnection : IRedisMultiplexerSource, IAsyncDisposable
{
    /// <summary>Buckets (seconds) for store operations: a local round trip to a slow script over a stalled link.</summary>
    private static readonly double[] OperationBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    // On the broker's shared meter (by name), so /metrics shows it next to the provider calls; the spans of the commands
    // themselves come from OpenTelemetry's StackExchange.Redis instrumentation (see the server's Telemetry).
    private static readonly Meter Meter = new(BrokerMetrics.MeterName);
    private static readonly Histogram<double> OperationDuration = Meter.CreateHistogram("broker.redis.operation.duration", "s",
        "Duration of the session store's, cache's and rate limit's Redis operations (a command, batch or script), by outcome (ok, error, timeout)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OperationBuckets });

    private readonly BrokerSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lock _gate = new();
    private readonly Task<ConnectionMultiplexer?> _connecting;
    private TimeSpan _backoff;
    private DateTimeOffset _closedAfter = DateTimeOffset.MinValue;
    private string? _lastProblem = "connecting";

    public RedisConnection(BrokerSessionOptions options, TimeProvider time, ILogger<RedisConnection> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _connecting = ConnectAsync();
    }

    /// <summary>A random id of this process, used as the owner of cross-instance locks.</summary>
    public string InstanceId { get; } = SessionId.New();

    /// <summary>Why Redis is unusable right now; null when it is working.</summary>
    public string? Problem
    {
        get
        {
            if (!_connecting.IsCompleted) return "connecting";
            if (_connecting.Result is not { IsConnected: true }) return "not connected";
            lock (_gate) return _lastProblem;
        }
    }

    /// <summary>Waits (at most the connect timeout) until the first connection attempt has ended.</summary>
    public Task WaitForFirstConnectAsync(CancellationToken cancellationToken) => _connecting.WaitAsync(cancellationToken);

    public async Task<IConnectionMultiplexer?> GetMultiplexerAsync(CancellationToken cancellationToken) =>
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs one Redis operation under the timeout and circuit; throws <see cref="SessionStoreUnavailableException"/> on any failure.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await RunGuardedAsync(operation, cancellationToken).ConfigureAwait(false);
            outcome = "ok";
            return result;
        }
        catch (SessionStoreUnavailableException ex) when (ex.InnerException is TimeoutException)
        {
            outcome = "timeout";
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            OperationDuration.Record(_time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private async Task<T> RunGuardedAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        var database = Database();
        Task<T> task;
        try
        {
            task = operation(database);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw Failed(ex.Message, ex);
        }
        try
        {
            var result = await task.WaitAsync(_options.RedisTimeout, _time, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(task);
            throw;
        }
        catch (TimeoutException ex)
        {
            Observe(task);
            throw Failed($"no answer within {_options.RedisTimeout.TotalMilliseconds:0} ms", ex);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or IOException)
        {
            // Every error reply (OOM, READONLY after a failover, LOADING, MASTERDOWN, a script error …) as well as a
            // connection fault or a timeout: the request goes on without the store, never fails because of it.
            throw Failed(ex.Message, ex);
        }
    }

    /// <summary>Runs an operation without a result.</summary>
    public Task RunAsync(Func<IDatabase, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(async db => { await operation(db).ConfigureAwait(false); return true; }, cancellationToken);

    private IDatabase Database()
    {
        if (!_connecting.IsCompletedSuccessfully || _connecting.Result is not { } multiplexer)
            throw new SessionStoreUnavailableException("Redis: not connected yet");
        lock (_gate)
        {
            if (_time.GetUtcNow() < _closedAfter)
                throw new SessionStoreUnavailableException($"Redis: unavailable ({_lastProblem}); retrying after backoff");
        }
        if (!multiplexer.IsConnected)
            throw Failed("not connected", null);
        return multiplexer.GetDatabase();
    }

    private SessionStoreUnavailableException Failed(string problem, Exception? inner)
    {
        lock (_gate)
        {
            var first = _backoff == TimeSpan.Zero;
            _backoff = first ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.RedisMaxBackoff.Ticks));
            _closedAfter = _time.GetUtcNow() + _backoff;
            _lastProblem = problem;
            if (first) LogUnavailable(_logger, problem, _backoff.TotalMilliseconds);
        }
        // A server that answers but refuses (READONLY: it was demoted; no writable master known) may have changed role:
        // ask the servers for their roles again now rather than at the next periodic check. Once per backoff at most.
        if (inner is RedisException && _connecting is { IsCompletedSuccessfully: true, Result: { IsConnected: true } multiplexer })
            Observe(multiplexer.ConfigureAsync());
        return new SessionStoreUnavailableException($"Redis: {problem}", inner);
    }

    private void Succeeded()
    {
        lock (_gate)
        {
            if (_backoff != TimeSpan.Zero || _lastProblem is not null) LogRecovered(_logger);
            _backoff = TimeSpan.Zero;
            _closedAfter = DateTimeOffset.MinValue;
            _lastProblem = null;
        }
    }

    /// <summary>A call we stopped waiting for may still fail later; its exception must not go unobserved.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private async Task<ConnectionMultiplexer?> ConnectAsync()
    {
        await Task.Yield();
        try
        {
            var configuration = ConfigurationOptions.Parse(_options.RedisConfiguration!);
            configuration.AbortOnConnectFail = false;
            configuration.ConnectRetry = 1;
            configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
            configuration.SyncTimeout = (int)Math.Max(100, _options.RedisTimeout.TotalMilliseconds);
            configuration.ClientName ??= "vso-broker";
            // With ServiceName set the endpoints are Sentinels: the client asks them for the master and follows failovers.
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            multiplexer.ConnectionFailed += (_, e) => LogConnectionEvent(_logger, "lost", e.EndPoint?.ToString(), e.FailureType.ToString());
            multiplexer.ConnectionRestored += (_, e) => LogConnectionEvent(_logger, "restored", e.EndPoint?.ToString(), e.FailureType.ToString());
            if (multiplexer.IsConnected)
            {
                // A first round trip outside the guard warms the client up, so a cold start is not mistaken for an outage.
                try
                {
                    await multiplexer.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // The guard will find out on the first real call.
                }
                lock (_gate) _lastProblem = null;
            }
            return multiplexer;
        }
        catch (Exception ex)
        {
            // A bad configuration string: nothing to reconnect to, the broker runs session-less and says so in readiness.
            lock (_gate) _lastProblem = $"cannot connect: {ex.Message}";
            LogUnavailable(_logger, ex.Message, 0);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (await _connecting.ConfigureAwait(false) is { } multiplexer) await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning,
        Message = "Redis unavailable ({Problem}); sessions and the result cache are off, retrying in {BackoffMs} ms")]
    private static partial void LogUnavailable(ILogger logger, string problem, double backoffMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Redis available again; sessions and the result cache are back")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Redis connection {Change} to {EndPoint} ({FailureType})")]
    private static partial void LogConnectionEvent(ILogger logger, string change, string? endPoint, string failureType);
}
