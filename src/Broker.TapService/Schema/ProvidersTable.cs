using Broker.Core.Search;

namespace Broker.TapService.Schema;

/// <summary><c>vso.providers</c>: the provider registry with each provider's live state, answered locally.</summary>
public static class ProvidersTable
{
    public static readonly TapTable Table = new("vso", "vso.providers",
        "The providers the broker fans out to, with their live state (circuit, last outcome, latency) as this instance sees it.",
        TableSource.Providers,
        [
            TapColumn.Text("provider", "meta.id;meta.curation", "Broker provider id (vso.records.provider, ivoa.obscore.obs_collection)") with { Principal = true, Domain = new(NotNull: true) },
            TapColumn.Text("type", "meta.code", "Protocol adapter (tap, soap ...)") with { Principal = true, Domain = new(NotNull: true) },
            TapColumn.Text("title", "meta.title", "Human-readable name"),
            TapColumn.Text("url", "meta.ref.url", "Service URL the broker calls") with { Principal = true, Domain = new(NotNull: true) },
            new TapColumn("enabled", "boolean", Ucd: "meta.code.status", Description: "Whether searches ask this provider") { Principal = true, Domain = new(NotNull: true) },
            TapColumn.Text("circuit", "meta.code.status", "Circuit breaker state (closed, open, half-open)") with { Principal = true, Domain = new(NotNull: true) },
            TapColumn.Text("last_status", "meta.code.status", "Outcome of the last call (ok, empty, timeout, error ...)"),
            TapColumn.Text("last_error", "meta.note", "Last error message"),
            TapColumn.Timestamp("last_error_at", "time.epoch", "When the last error happened (UTC)"),
            TapColumn.Long("last_latency", "ms", "time.duration", "Duration of the last call"),
            TapColumn.Timestamp("last_call_at", "time.epoch", "When the provider was last called (UTC)"),
            TapColumn.Long("calls", null, "meta.number", "Calls since this instance started") with { Domain = new(NotNull: true) },
            TapColumn.Long("failures", null, "meta.number", "Failed calls since this instance started") with { Domain = new(NotNull: true) },
            TapColumn.Text("health_problem", "meta.note", "Problem found by the last metadata check, if any"),
            TapColumn.Text("instruments", "meta.id;instr", "Instruments offered (comma-separated; empty when not declared)"),
            TapColumn.Timestamp("coverage_start", "time.start", "Earliest data (UTC), when declared"),
            TapColumn.Timestamp("coverage_end", "time.end", "Latest data (UTC), when declared"),
            TapColumn.Text("cutouts", "meta.ref.ivoid", "Can the broker offer cut-outs of this provider's data? The standardIDs of the services " +
                "(SODA: ivo://ivoa.net/std/SODA#sync-1.0) the provider's own DataLink documents offered (for some of its files at least) since this instance started, as read for /tap/links; " +
                "'none' when they offered none; null when no DataLink document of the provider was read yet (providers whose records are files offer none)"),
            TapColumn.Timestamp("datalink_read_at", "time.epoch", "When this instance last read a DataLink document of the provider (UTC)"),
        ]);

    /// <summary>One row per enabled provider, then one per disabled provider.</summary>
    public static IEnumerable<object?[]> Rows(ProviderRegistry registry)
    {
        foreach (var p in registry.All)
        {
            var s = p.Snapshot();
            yield return
            [
                s.Id, s.Type, s.Title, s.Url, s.Enabled, s.Circuit, s.LastStatus is { } st ? st.WireName() : null, s.LastError,
                s.LastErrorAt?.UtcDateTime, s.LastLatencyMs, s.LastCallAt?.UtcDateTime, s.Calls, s.Failures, s.HealthProblem,
                string.Join(",", p.Capabilities.Instruments), p.Capabilities.CoverageStart?.UtcDateTime, p.Capabilities.CoverageEnd?.UtcDateTime,
                p.LinkOffer is { } offer ? offer.Services.Count == 0 ? "none" : string.Join(",", offer.Services) : null, p.LinkOffer?.SeenAt.UtcDateTime,
            ];
        }
        foreach (var c in registry.Disabled)
        {
            yield return
            [
                c.Id, c.Type, c.Title, c.Url.ToString(), false, "closed", null, null, null, null, null, 0L, 0L, null,
                string.Join(",", c.Capabilities.Instruments), c.Capabilities.CoverageStart?.UtcDateTime, c.Capabilities.CoverageEnd?.UtcDateTime,
                null, null,
            ];
        }
    }
}

