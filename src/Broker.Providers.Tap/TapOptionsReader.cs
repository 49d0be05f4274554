using Broker.Core.Configuration;
using Broker.Core.Units;

namespace Broker.Providers.Tap;

/// <summary>Reads <see cref="TapProviderOptions"/> from a providers.yaml <c>options:</c> mapping; errors go to the section.</summary>
internal static class TapOptionsReader
{
    /// <summary>Reads every key. Errors are added to the section (the registry throws them together); a missing or
    /// unknown profile falls back to soar so that the remaining keys are still checked.</summary>
    public static TapProviderOptions Read(ConfigSection s)
    {
        var profileText = s.GetString("profile", required: true);
        TapProfileKind? profile = profileText?.Trim().ToLowerInvariant() switch
        {
            null => null,
            "soar" => TapProfileKind.Soar,
            "obscore" or "obstap" => TapProfileKind.ObsCore,
            "epntap" or "epn-tap" or "epncore" => TapProfileKind.EpnTap,
            _ => null,
        };
        if (profileText is not null && profile is null) s.Error("profile", $"'{profileText}' is not a profile; known: soar, obscore, epntap");

        var d = new TapProviderOptions { Profile = TapProfileKind.Soar, Table = "" };
        var mode = ReadEnum(s, "mode", TapMode.Auto);
        var format = ReadEnum(s, "format", TapFormat.Auto);
        var quoteIdentifiers = ReadEnum(s, "quoteIdentifiers", Broker.Adql.QuoteIdentifiers.Auto);
        var schema = s.GetString("schema");
        var table = s.GetString("table");
        var paths = (
            Sync: Path(s, "syncPath", d.SyncPath), Async: Path(s, "asyncPath", d.AsyncPath),
            Tables: Path(s, "tablesPath", d.TablesPath), Availability: Path(s, "availabilityPath", d.AvailabilityPath),
            Capabilities: Path(s, "capabilitiesPath", d.CapabilitiesPath), Data: Path(s, "dataPath", d.DataPath));
        var poll = Positive(s, "pollInterval", d.PollInterval);
        var maxPoll = Positive(s, "maxPollInterval", d.MaxPollInterval);
        if (maxPoll < poll) s.Error("maxPollInterval", "must not be shorter than pollInterval");
        var threshold = s.GetInt("asyncThreshold", d.AsyncThreshold, 0);
        var syncTimeout = Positive(s, "syncTimeout", d.SyncTimeout);
        var cleanup = Positive(s, "cleanupTimeout", d.CleanupTimeout);
        var refresh = Positive(s, "metadataRefresh", d.MetadataRefresh);
        if (refresh < TimeSpan.FromSeconds(1)) s.Error("metadataRefresh", "must be at least 1s");
        var rightsColumn = s.GetString("rightsColumn");
        var hosts = s.GetStringList("dataUrlHosts");
        foreach (var h in hosts)
            if (Uri.CheckHostName(h) == UriHostNameType.Unknown) s.Error("dataUrlHosts", $"'{h}' is not a host name");
        var source = s.GetString("source");
        var providerName = s.GetString("providerName");
        var lowLatency = s.GetString("lowLatencyTable");
        var instrumentTable = s.GetString("instrumentTable");
        if (instrumentTable is not null && !instrumentTable.Contains("{inst}", StringComparison.Ordinal))
            s.Error("instrumentTable", "must contain {inst}");
        var instrumentTables = s.Has("instrumentTables")
            ? new Dictionary<string, string>(s.GetStringMap("instrumentTables"), StringComparer.OrdinalIgnoreCase)
            : null;
        var instruments = s.GetStringList("instruments");
        var waveUnits = ReadWaveUnits(s);
        var columns = s.GetStringMap("columns");
        var targetClass = s.Has("targetClass") ? s.GetString("targetClass") : d.TargetClass;
        var caseInsensitive = s.GetBool("caseInsensitive", profile is not TapProfileKind.Soar);

        profile ??= TapProfileKind.Soar;
        if (profile == TapProfileKind.EpnTap && table is null && string.IsNullOrWhiteSpace(schema))
            s.Error("schema", "is required for the epntap profile (the service's <schema>.epn_core), or give 'table'");
        if (profile != TapProfileKind.EpnTap && schema is not null)
            s.Error("schema", "is only used by the epntap profile");

        return new TapProviderOptions
        {
            Profile = profile.Value,
            Mode = mode,
            Format = format,
            QuoteIdentifiers = quoteIdentifiers,
            SyncPath = paths.Sync,
            AsyncPath = paths.Async,
            TablesPath = paths.Tables,
            AvailabilityPath = paths.Availability,
            CapabilitiesPath = paths.Capabilities,
            DataPath = paths.Data,
            PollInterval = poll,
            MaxPollInterval = maxPoll,
            AsyncThreshold = threshold,
            SyncTimeout = syncTimeout,
            CleanupTimeout = cleanup,
            MetadataRefresh = refresh,
            DataUrlHosts = hosts,
            RightsColumn = string.IsNullOrWhiteSpace(rightsColumn) ? null : rightsColumn.Trim(),
            Source = source ?? (profile == TapProfileKind.Soar ? "SOLO" : null),
            ProviderName = providerName ?? (profile == TapProfileKind.Soar ? "SOAR" : null),
            Table = table ?? profile switch
            {
                TapProfileKind.Soar => "soar.v_sc_data_item",
                TapProfileKind.ObsCore => "ivoa.obscore",
                _ => $"{schema?.Trim()}.epn_core",
            },
            LowLatencyTable = lowLatency ?? d.LowLatencyTable,
            InstrumentTable = instrumentTable ?? d.InstrumentTable,
            InstrumentTables = instrumentTables ?? TapProviderOptions.DefaultInstrumentTables,
            Instruments = instruments.Count > 0 ? instruments : profile == TapProfileKind.Soar ? TapProviderOptions.SoarInstruments : [],
            WaveUnits = waveUnits ?? TapProviderOptions.DefaultWaveUnits,
            Columns = columns,
            TargetClass = string.IsNullOrWhiteSpace(targetClass) ? null : targetClass,
            CaseInsensitive = caseInsensitive,
        };
    }

    private static T ReadEnum<T>(ConfigSection s, string key, T defaultValue) where T : struct, Enum
    {
        var text = s.GetString(key);
        if (text is null) return defaultValue;
        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
        s.Error(key, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
        return defaultValue;
    }

    private static string Path(ConfigSection s, string key, string defaultValue)
    {
        var text = s.GetString(key);
        if (text is null) return defaultValue;
        if (string.IsNullOrWhiteSpace(text) || text.Contains("://", StringComparison.Ordinal) || text.Contains('?'))
        {
            s.Error(key, $"'{text}' must be a path relative to the provider url (no scheme, host or query)");
            return defaultValue;
        }
        return text.Trim();
    }

    private static TimeSpan Positive(ConfigSection s, string key, TimeSpan defaultValue)
    {
        var value = s.GetDuration(key, defaultValue);
        if (value > TimeSpan.Zero) return value;
        s.Error(key, "must be more than zero");
        return defaultValue;
    }

    private static Dictionary<string, WaveUnit>? ReadWaveUnits(ConfigSection s)
    {
        if (!s.Has("waveUnits")) return null;
        var result = new Dictionary<string, WaveUnit>(TapProviderOptions.DefaultWaveUnits, StringComparer.OrdinalIgnoreCase);
        foreach (var (instrument, unitText) in s.GetStringMap("waveUnits"))
        {
            if (WaveUnit.TryParse(unitText, out var unit) && !unit.IsInverse) result[instrument] = unit;
            else s.Error("waveUnits", $"'{unitText}' for {instrument} is not a wavelength unit (Angstrom, nm, um ...)");
        }
        return result;
    }
}
