namespace Broker.Simulators.Data;

/// <summary>A provider's generated tables and the files its data endpoint serves (id → file name).</summary>
internal sealed record ProviderData(SimCatalog Catalog, IReadOnlyDictionary<string, string> Files, string MainTable, string MainTimeColumn)
{
    public static ProviderData Generate(SimulatedProviderOptions options, string dataUrl)
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
