namespace Broker.Simulators.Data;

/// <summary>A provider's generated tables and the files its data endpoint serves (id → file name).</summary>
internal sealed record ProviderData(SimCatalog Catalog, IReadOnlyDictionary<string, string> Files, string MainTable, string MainTimeColumn)
{
    /// <summary>The rows an anonymous caller sees (all of them unless the provider wants credentials).</summary>
    public SimCatalog PublicCatalog { get; init; } = Catalog;

    /// <summary>File ids only an authorised caller may download.</summary>
    public IReadOnlySet<string> RestrictedFiles { get; init; } = new HashSet<string>();

    /// <summary>The column that says whether a row is public (ObsCore's data_rights), added when the provider wants credentials.</summary>
    public const string RightsColumn = "data_rights";

    private static readonly string[] IdColumns = ["data_item_id", "obs_publisher_did", "granule_uid"];

    public static ProviderData Generate(SimulatedProviderOptions options, string dataUrl)
    {
        var data = GenerateAll(options, dataUrl);
        return options.Auth == Auth.SimulatedAuthScheme.None ? data : WithRestrictedRows(data);
    }

    /// <summary>
    /// Adds <c>data_rights</c> to every table: <c>proprietary</c> for a third of the products (chosen by a stable hash of
    /// the file id, so a product is restricted in every table that lists it — SOAR's FITS views name their product by
    /// <c>data_item_oid</c> only, and follow their data item), <c>public</c> otherwise.
    /// </summary>
    private static ProviderData WithRestrictedRows(ProviderData data)
    {
        var restricted = new HashSet<string>(StringComparer.Ordinal);
        var restrictedKeys = new HashSet<long>();
        foreach (var t in data.Catalog.Tables)
        {
            int id = IdOrdinal(t), oid = t.Ordinal(OidColumn);
            if (id < 0 || oid < 0) continue;
            foreach (var row in t.Rows)
                if (row[id] is string key && IsRestricted(key) && row[oid] is long k) restrictedKeys.Add(k);
        }
        var full = new List<SimTable>();
        var open = new List<SimTable>();
        foreach (var t in data.Catalog.Tables)
        {
            int id = IdOrdinal(t), oid = t.Ordinal(OidColumn);
            var rows = new List<object?[]>(t.Rows.Count);
            var publicRows = new List<object?[]>(t.Rows.Count);
            for (var i = 0; i < t.Rows.Count; i++)
            {
                var row = t.Rows[i];
                var key = id >= 0 ? row[id] as string : null;
                var isRestricted = key is not null ? IsRestricted(key)
                    : oid >= 0 && row[oid] is long k ? restrictedKeys.Contains(k)
                    : i % 3 == 0;
                if (isRestricted && key is not null) restricted.Add(key);
                // Rows may be shorter than the column list (trailing nulls): the rights go at the new column's ordinal.
                var extended = new object?[t.Columns.Count + 1];
                Array.Copy(row, extended, Math.Min(row.Length, t.Columns.Count));
                extended[t.Columns.Count] = isRestricted ? "proprietary" : "public";
                rows.Add(extended);
                if (!isRestricted) publicRows.Add(extended);
            }
            var columns = t.Columns.Append(SimColumn.Text(RightsColumn, "Data rights: public or proprietary", "meta.code")).ToList();
            full.Add(new SimTable(t.Schema, t.Name, t.Description, columns, rows, t.TimeColumn, t.EndColumn));
            open.Add(new SimTable(t.Schema, t.Name, t.Description, columns, publicRows, t.TimeColumn, t.EndColumn));
        }
        return data with { Catalog = new SimCatalog(full), PublicCatalog = new SimCatalog(open), RestrictedFiles = restricted };
    }

    /// <summary>SOAR's internal product key, shared by a data item and its FITS header rows.</summary>
    private const string OidColumn = "data_item_oid";

    private static int IdOrdinal(SimTable t) => IdColumns.Select(t.Ordinal).FirstOrDefault(i => i >= 0, -1);

    private static bool IsRestricted(string fileId) => StableHash(fileId) % 3 == 0;

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    private static ProviderData GenerateAll(SimulatedProviderOptions options, string dataUrl)
    {
        var ctx = new GenerationContext(options, dataUrl);
        switch (options.Kind)
        {
            case SimulatorKind.Soar:
            {
                var catalog = SoarGenerator.Generate(ctx);
                var files = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var name in new[] { "v_sc_data_item", "v_ll_data_item" })
                {
                    var t = catalog.Find("soar", name)!;
                    int id = t.Ordinal("data_item_id"), file = t.Ordinal("filename");
                    foreach (var row in t.Rows) files[(string)row[id]!] = (string)row[file]!;
                }

                return new ProviderData(catalog, files, "v_sc_data_item", "begin_time");
            }

            case SimulatorKind.ObsCore:
            case SimulatorKind.Vsoi:
            case SimulatorKind.Bench:
            {
                var catalog = options.Kind == SimulatorKind.Bench
                    ? ObsCoreGenerator.Generate(ctx, options.BenchWindowStart.ToUniversalTime(),
                        options.BenchWindowStart.ToUniversalTime() + options.BenchWindowLength, options.Name)
                    : ObsCoreGenerator.Generate(ctx);
                var t = catalog.Find("ivoa", "obscore")!;
                var did = t.Ordinal("obs_publisher_did");
                var files = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var row in t.Rows)
                {
                    var id = (string)row[did]!;
                    files[id] = id[(id.IndexOf('?', StringComparison.Ordinal) + 1)..] + ".fits";
                }

                return new ProviderData(catalog, files, "obscore", "t_min");
            }

            case SimulatorKind.EpnTap:
            {
                var catalog = EpnTapGenerator.Generate(ctx);
                var t = catalog.Tables[0];
                int uid = t.Ordinal("granule_uid"), file = t.Ordinal("file_name");
                var files = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var row in t.Rows) files[(string)row[uid]!] = (string)row[file]!;
                return new ProviderData(catalog, files, "epn_core", "time_min");
            }

            default:
                throw new NotSupportedException($"Simulator kind {options.Kind} is not implemented.");
        }
    }
}
