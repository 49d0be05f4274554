using Broker.Simulators.Data;
using Broker.Simulators.Faults;
using Broker.Simulators.Uws;

namespace Broker.Simulators.Hosting;

/// <summary>The run-time state of one simulated provider: data, query engine, faults, counters, jobs.</summary>
internal sealed class SimulatedProvider
{
    public SimulatedProvider(SimulatedProviderOptions options, string rootUrl, TimeProvider time)
    {
        Options = options;
        TapBaseUrl = $"{rootUrl}/{options.Name}/tap";
        SoapUrl = $"{rootUrl}/{options.Name}/soap";
        DataUrl = $"{rootUrl}/{options.Name}/data";
        Data = ProviderData.Generate(options, DataUrl);
        Engine = new SimQueryEngine(Data.Catalog);
        PublicEngine = options.Auth == Broker.Simulators.Auth.SimulatedAuthScheme.None ? Engine : new SimQueryEngine(Data.PublicCatalog);
        Auth = new Broker.Simulators.Auth.SimulatedAuth(options, time);
        Faults = new FaultState(options.Faults);
        Jobs = new JobStore(this, time);
        StartedAt = time.GetUtcNow().UtcDateTime;
    }

    public SimulatedProviderOptions Options { get; }

    public string Name => Options.Name;

    public string TapBaseUrl { get; }

    public string DataUrl { get; }

    public string SoapUrl { get; }

    public ProviderData Data { get; }

    public SimQueryEngine Engine { get; }

    /// <summary>Runs queries over the public rows only (an anonymous caller of a provider that wants credentials).</summary>
    public SimQueryEngine PublicEngine { get; }

    /// <summary>The engine for a caller: everything when authorised, public rows otherwise.</summary>
    public SimQueryEngine EngineFor(bool authorised) => authorised ? Engine : PublicEngine;

    public Broker.Simulators.Auth.SimulatedAuth Auth { get; }

    public FaultState Faults { get; }

    public CallCounters Counters { get; } = new();

    public JobStore Jobs { get; }

    /// <summary>Rendered sync answers by request, when <see cref="SimulatedProviderOptions.PreRendered"/>.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<(string ContentType, string? Error, byte[] Body)>>> Rendered { get; } = new();

    public DateTime StartedAt { get; }

    public ProviderCalls Snapshot()
    {
        var jobs = Jobs.All;
        return Counters.Snapshot(
            jobs.Select(j => j.Id).ToList(),
            jobs.Where(j => Phases.IsActive(j.Phase)).Select(j => j.Id).ToList());
    }

    /// <summary>(table, column) hidden from /tables by the broken-metadata fault, or null.</summary>
    public (string Table, string Column)? MissingColumn(FaultSpec spec)
    {
        if (!spec.BrokenMetadata) return null;
        if (string.IsNullOrWhiteSpace(spec.MissingColumn)) return (Data.MainTable, Data.MainTimeColumn);
        var text = spec.MissingColumn.Trim();
        var dot = text.LastIndexOf('.');
        return dot < 0 ? (string.Empty, text) : (text[..dot], text[(dot + 1)..]);
    }
}
