namespace Broker.Simulators.Hosting;

/// <summary>Thread-safe counters behind <see cref="ProviderCalls"/>.</summary>
internal sealed class CallCounters
{
    private long _requests;
    private long _sync;
    private long _jobsCreated;
    private long _jobsDeleted;
    private long _data;
    private long _metadata;
    private long _faults;
    private long _soapQueries;
    private long _soapGetData;
    private long _aborted;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Sync() => Interlocked.Increment(ref _sync);

    public void JobCreated() => Interlocked.Increment(ref _jobsCreated);

    public void JobDeleted() => Interlocked.Increment(ref _jobsDeleted);

    public void Data() => Interlocked.Increment(ref _data);

    public void Metadata() => Interlocked.Increment(ref _metadata);

    public void Fault() => Interlocked.Increment(ref _faults);

    public void SoapQuery() => Interlocked.Increment(ref _soapQueries);

    public void SoapGetData() => Interlocked.Increment(ref _soapGetData);

    /// <summary>A request whose client went away before it was answered (e.g. the broker cancelled it).</summary>
    public void Aborted() => Interlocked.Increment(ref _aborted);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _sync, 0);
        Interlocked.Exchange(ref _jobsCreated, 0);
        Interlocked.Exchange(ref _jobsDeleted, 0);
        Interlocked.Exchange(ref _data, 0);
        Interlocked.Exchange(ref _metadata, 0);
        Interlocked.Exchange(ref _faults, 0);
        Interlocked.Exchange(ref _soapQueries, 0);
        Interlocked.Exchange(ref _soapGetData, 0);
        Interlocked.Exchange(ref _aborted, 0);
    }

    public ProviderCalls Snapshot(IReadOnlyList<string> alive, IReadOnlyList<string> active) => new()
    {
        Requests = Interlocked.Read(ref _requests),
        SyncQueries = Interlocked.Read(ref _sync),
        AsyncJobsCreated = Interlocked.Read(ref _jobsCreated),
        JobsDeleted = Interlocked.Read(ref _jobsDeleted),
        DataDownloads = Interlocked.Read(ref _data),
        MetadataRequests = Interlocked.Read(ref _metadata),
        FaultsInjected = Interlocked.Read(ref _faults),
        SoapQueries = Interlocked.Read(ref _soapQueries),
        SoapGetDataCalls = Interlocked.Read(ref _soapGetData),
        Aborted = Interlocked.Read(ref _aborted),
        AliveJobs = alive,
        ActiveJobs = active,
    };
}
