using System.Threading.Channels;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Registry.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broker.Registry.QueryLog;

/// <summary>
/// The query log: a search listener that only enqueues (never waits on PostgreSQL), and a background writer
/// that stores entries in batches. While PostgreSQL is slow or down, entries wait in a bounded buffer
/// (<see cref="RegistryOptions.QueryLogCapacity"/>) and the batch in hand is retried with capped backoff;
/// entries that find the buffer full are dropped and counted.
/// </summary>
public sealed partial class QueryLogWriter : BackgroundService, ISearchListener
{
    private static readonly TimeSpan FinalFlushBudget = TimeSpan.FromSeconds(3);

    private readonly Channel<QueryLogEntry> _queue;
    private readonly IQueryLogSink _sink;
    private readonly SchemaState? _schema;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueryLogWriter> _logger;
    private long _written;
    private long _dropped;
    private long _inHand;
    private long _failedWrites;

    internal QueryLogWriter(IQueryLogSink sink, SchemaState? schema, RegistryOptions options, TimeProvider time, ILogger<QueryLogWriter> logger)
    {
        _sink = sink;
        _schema = schema;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<QueryLogEntry>(new BoundedChannelOptions(options.QueryLogCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = false,
        });
    }

    /// <summary>A snapshot of the counters.</summary>
    public QueryLogCounters Counters => new(
        Interlocked.Read(ref _written), _queue.Reader.Count + Interlocked.Read(ref _inHand),
        Interlocked.Read(ref _dropped), Interlocked.Read(ref _failedWrites));

    /// <summary>Queues the search for the log and returns at once; a full buffer drops the entry (counted).</summary>
    public ValueTask OnSearchCompletedAsync(SearchRequest request, SearchResult result, CancellationToken cancellationToken)
    {
        // TryWrite on a bounded channel in Wait mode never waits: it returns false when the buffer is full.
        if (!_queue.Writer.TryWrite(QueryLogEntry.From(request, result)))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 1000 == 0) LogDropped(_logger, dropped);
        }
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<QueryLogEntry>(_options.QueryLogBatchSize);
        try
        {
            if (_schema is not null) await _schema.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Take(batch);
                await WriteWithRetryAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FinalFlushAsync(batch).ConfigureAwait(false);
        }
    }

    private void Take(List<QueryLogEntry> batch)
    {
        while (batch.Count < _options.QueryLogBatchSize && _queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
            Interlocked.Increment(ref _inHand);
        }
    }

    private async Task WriteWithRetryAsync(List<QueryLogEntry> batch, CancellationToken stoppingToken)
    {
        var delay = _options.RetryInitialDelay;
        while (true)
        {
            try
            {
                await _sink.WriteAsync(batch, stoppingToken).ConfigureAwait(false);
                Done(batch);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failedWrites);
                LogRetry(_logger, batch.Count, delay.TotalMilliseconds, ex.Message);
            }
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            delay = Backoff.Next(delay, _options.RetryMaxDelay);
        }
    }

    private void Done(List<QueryLogEntry> batch)
    {
        Interlocked.Add(ref _written, batch.Count);
        Interlocked.Add(ref _inHand, -batch.Count);
        batch.Clear();
    }

    /// <summary>At shutdown, one bounded attempt to store what is still buffered; the rest is lost (and logged).</summary>
    private async Task FinalFlushAsync(List<QueryLogEntry> batch)
    {
        using var budget = new CancellationTokenSource(FinalFlushBudget, _time);
        try
        {
            if (_schema is { IsReady: false }) return;
            do
            {
                Take(batch);
                if (batch.Count == 0) return;
                await _sink.WriteAsync(batch, budget.Token).ConfigureAwait(false);
                Done(batch);
            }
            while (!budget.IsCancellationRequested);
        }
        catch (Exception ex)
        {
            LogFlushFailed(_logger, Counters.Buffered, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Query log buffer full; {DroppedCount} entries dropped so far")]
    private static partial void LogDropped(ILogger logger, long droppedCount);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Query log write of {BatchSize} entries failed; retrying in {DelayMs} ms: {Error}")]
    private static partial void LogRetry(ILogger logger, int batchSize, double delayMs, string error);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Query log: {BufferedCount} entries not stored at shutdown: {Error}")]
    private static partial void LogFlushFailed(ILogger logger, long bufferedCount, string error);
}
