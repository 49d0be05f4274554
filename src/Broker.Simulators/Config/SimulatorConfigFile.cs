using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Broker.Simulators;

/// <summary>
/// Reads a simulator YAML file:
/// <code>
/// port: 8090
/// providers:
///   - name: soar
///     kind: soar          # soar | obscore | epntap | bench | vsoi
///     seed: 1
///     records: 40000
///     startYear: 2020
///     endYear: 2024
///     schema: nrh         # epntap only
///     preRendered: false  # true: each distinct sync query is rendered once, then served from memory (benchmarks)
///     dataLink: false     # obscore: most access_urls are the provider's own DataLink (#this, #preview, SODA #cutout)
///     faults:
///       latencyMs: 50
///       latencyMaxMs: 200
///       errorRate: 0.1
///       alwaysFail: false
///       hang: false
///       malformedBody: false
///       truncatedBody: false
///       hugeResult: false
///       hugeResultRows: 200000
///       brokenMetadata: false
///       missingColumn: v_sc_data_item.begin_time
///       jobDurationMs: 0
///       jobsNeverFinish: false
///       seed: 1
/// </code>
/// </summary>
public static class SimulatorConfigFile
{
    /// <summary>Parses YAML text into options; <paramref name="portOverride"/> replaces the file's port when given.</summary>
    /// <exception cref="FormatException">The YAML is malformed or has unknown keys or values (message says where).</exception>
    public static SimulatorOptions Parse(string yaml, int? portOverride = null)
    {
        ConfigDto dto;
        try
        {
            dto = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<ConfigDto>(yaml) ?? new ConfigDto();
        }
        catch (YamlException e)
        {
            throw new FormatException($"Invalid simulator config at line {e.Start.Line}, column {e.Start.Column}: {(e.InnerException ?? e).Message}", e);
        }

        var providers = new List<SimulatedProviderOptions>();
        foreach (var p in dto.Providers ?? [])
        {
            if (string.IsNullOrWhiteSpace(p.Name)) throw new FormatException("Every provider needs a name.");
            if (!Enum.TryParse<SimulatorKind>(p.Kind ?? "soar", ignoreCase: true, out var kind))
                throw new FormatException($"Provider '{p.Name}': unknown kind '{p.Kind}' (soar, obscore, epntap, bench, vsoi).");
            var defaults = new SimulatedProviderOptions { Name = p.Name };
            providers.Add(new SimulatedProviderOptions
            {
                Name = p.Name,
                Kind = kind,
                Seed = p.Seed ?? defaults.Seed,
                RecordCount = p.Records ?? defaults.RecordCount,
                StartYear = p.StartYear ?? defaults.StartYear,
                EndYear = p.EndYear ?? defaults.EndYear,
                Schema = p.Schema,
                DefaultMaxRec = p.DefaultMaxRec ?? defaults.DefaultMaxRec,
                PreRendered = p.PreRendered ?? false,
                DataLink = p.DataLink ?? false,
                Auth = Enum.TryParse<Auth.SimulatedAuthScheme>(p.Auth ?? "none", ignoreCase: true, out var auth)
                    ? auth : throw new FormatException($"Provider '{p.Name}': unknown auth '{p.Auth}' (none, basic, bearer, taplogin)."),
                Username = p.Username ?? defaults.Username,
                Password = p.Password ?? defaults.Password,
                TokenLifetime = p.TokenLifetimeSeconds is { } s ? TimeSpan.FromSeconds(s) : defaults.TokenLifetime,
                Faults = p.Faults?.ToSpec() ?? FaultSpec.None,
            });
        }

        return new SimulatorOptions
        {
            Port = portOverride ?? dto.Port ?? 0,
            Providers = providers.Count > 0 ? providers : SimulatorOptions.CreateDefault().Providers,
        };
    }

    private sealed class ConfigDto
    {
        public int? Port { get; set; }

        public List<ProviderDto>? Providers { get; set; }
    }

    private sealed class ProviderDto
    {
        public string? Name { get; set; }

        public string? Kind { get; set; }

        public int? Seed { get; set; }

        public int? Records { get; set; }

        public int? StartYear { get; set; }

        public int? EndYear { get; set; }

        public string? Schema { get; set; }

        public int? DefaultMaxRec { get; set; }

        public bool? PreRendered { get; set; }

        public bool? DataLink { get; set; }

        public string? Auth { get; set; }

        public string? Username { get; set; }

        public string? Password { get; set; }

        public int? TokenLifetimeSeconds { get; set; }

        public FaultDto? Faults { get; set; }
    }

    private sealed class FaultDto
    {
        public int LatencyMs { get; set; }

        public int LatencyMaxMs { get; set; }

        public double ErrorRate { get; set; }

        public bool AlwaysFail { get; set; }

        public bool Hang { get; set; }

        public bool MalformedBody { get; set; }

        public bool TruncatedBody { get; set; }

        public bool HugeResult { get; set; }

        public int HugeResultRows { get; set; } = 200_000;

        public bool BrokenMetadata { get; set; }

        public string? MissingColumn { get; set; }

        public int JobDurationMs { get; set; }

        public bool JobsNeverFinish { get; set; }

        public int Seed { get; set; } = 1;

        public FaultSpec ToSpec() => new()
        {
            Latency = TimeSpan.FromMilliseconds(LatencyMs),
            LatencyMax = TimeSpan.FromMilliseconds(LatencyMaxMs),
            ErrorRate = ErrorRate,
            AlwaysFail = AlwaysFail,
            Hang = Hang,
            MalformedBody = MalformedBody,
            TruncatedBody = TruncatedBody,
            HugeResult = HugeResult,
            HugeResultRows = HugeResultRows,
            BrokenMetadata = BrokenMetadata,
            MissingColumn = MissingColumn,
            JobDuration = TimeSpan.FromMilliseconds(JobDurationMs),
            JobsNeverFinish = JobsNeverFinish,
            Seed = Seed,
        };
    }
}
