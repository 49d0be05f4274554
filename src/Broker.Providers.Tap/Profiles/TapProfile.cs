using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Providers;
using Q = Broker.Adql.Adql;

namespace Broker.Providers.Tap.Profiles;

/// <summary>
/// How one kind of TAP service is queried and read: the ADQL for a block (built as an AST, never as text),
/// the mapping of a row to a record, the tables and columns the mapping needs, and GetData lookups.
/// </summary>
internal abstract class TapProfile
{
    protected TapProfile(string providerId, TapProviderOptions options, IEnumerable<string> logicalColumns)
    {
        ProviderId = providerId;
        Options = options;
        Columns = new ColumnMap(logicalColumns, options.Columns);
    }

    private volatile TableSchema? _schema;

    public string ProviderId { get; }

    /// <summary>
    /// What the service's VOSI /tables declared (set by the metadata check); until then the profile assumes the
    /// archive it was written for. Optional tables and columns are used only when present.
    /// </summary>
    public void Learn(IReadOnlyList<Broker.Core.Services.TableMetadata> tables) => _schema = new TableSchema(tables);

    /// <summary>True when the table has the logical column; <paramref name="assumed"/> while the tables are not known.</summary>
    protected bool Has(string table, string logical, bool assumed = true) => _schema?.Has(table, C(logical)) ?? assumed;

    /// <summary>True when the table exists; <paramref name="assumed"/> while the tables are not known.</summary>
    protected bool HasTable(string table, bool assumed = true) => _schema?.HasTable(table) ?? assumed;

    /// <summary>Column names that give a row's data rights, in the order tried: ObsCore's <c>data_rights</c>.</summary>
    private static readonly string[] KnownRightsColumns = ["data_rights"];

    /// <summary>
    /// The column giving a row's data rights: the configured <c>rightsColumn</c> (<c>none</c>: never), else the first
    /// known rights column the main table declares in VOSI /tables (none until the tables are known).
    /// </summary>
    public string? RightsColumn => Options.RightsColumn switch
    {
        { } configured when configured.Equals("none", StringComparison.OrdinalIgnoreCase) => null,
        { } configured => configured,
        _ => _schema is { } schema ? KnownRightsColumns.FirstOrDefault(c => schema.Has(Options.Table, c)) : null,
    };

    /// <summary>The unit the service declares for a column, or null.</summary>
    protected string? UnitOf(string table, string logical) => _schema?.Unit(table, C(logical));

    /// <summary>Why an attribute can be neither filtered nor checked at this service ("no wavelength column").</summary>
    public virtual IReadOnlyDictionary<QueryAttribute, string> FilterGaps => new Dictionary<QueryAttribute, string>();

    /// <summary>The attributes whose field this profile's records carry (null: all the broker can check).</summary>
    public virtual IReadOnlySet<QueryAttribute>? RecordFields => null;
    public TapProviderOptions Options { get; }
    public ColumnMap Columns { get; }

    /// <summary>Shorthand: the service's name of a logical column.</summary>
    protected string C(string logical) => Columns[logical];

    /// <summary>The attributes this profile evaluates in ADQL; the rest are post-filtered by the planner (or the provider skipped).</summary>
    public abstract IReadOnlySet<QueryAttribute> Filters { get; }

    /// <summary>The queries answering a block (their records are concatenated); empty when the block cannot match here.</summary>
    public abstract IReadOnlyList<SelectStatement> BuildSearch(QueryBlock block);

    /// <summary>Columns a search answer must have besides those its query selects by name (what a SELECT * must bring).</summary>
    public virtual IEnumerable<string> ExpectedInAnswer => [];

    /// <summary>Maps the current row to a record; a row it cannot read is a <see cref="FormatException"/>.</summary>
    public abstract DataRecord? Map(ResultRow row);

    /// <summary>Every table the mapping reads with the columns it needs (for the VOSI metadata check).</summary>
    public abstract IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredColumns { get; }

    /// <summary>The query finding download locations for file ids, or null when URLs are built from the ids.</summary>
    public abstract SelectStatement? BuildResolve(IReadOnlyList<string> fileIds);

    /// <summary>The location of a file from a resolve-query row (returns the file id with it).</summary>
    public virtual FileLocation? LocationFromRow(ResultRow row) => null;

    /// <summary>The location of a file built from its id alone (SOAR), or null.</summary>
    public virtual FileLocation? LocationFromId(string fileId) => null;

    /// <summary>A string equality, case-insensitive (UPPER on both sides) when configured.</summary>
    protected Expr Match(Expr column, string value) =>
        Options.CaseInsensitive
            ? Q.Eq(Q.Upper(column), Q.String(value.Trim().ToUpperInvariant()))
            : Q.Eq(column, Q.String(value.Trim()));

    /// <summary>
    /// The broker's time rule (<see cref="TimeRule"/>) in ADQL: each bound compares the begin or end column with the
    /// query time written as this profile's column holds times (timestamp, MJD, JD).
    /// </summary>
    protected static Expr TimeCondition(TimeRange range, Func<RecordTime, Expr> column, Func<DateTimeOffset, Expr> literal) =>
        Q.AndAll(TimeRule.For(range).Clauses.Select(clause => Q.OrAll(clause.Select(b => (Expr?)Compare(column(b.Field), b.Op, literal(b.Value))))))!;

    private static Expr Compare(Expr column, TimeComparison op, Expr value) => op switch
    {
        TimeComparison.Less => Q.Lt(column, value),
        TimeComparison.LessOrEqual => Q.Le(column, value),
        TimeComparison.Greater => Q.Gt(column, value),
        _ => Q.Ge(column, value),
    };

    /// <summary>A string equal to any of the values (one equality for a single value), compared as <see cref="Match"/>.</summary>
    protected Expr MatchAny(Expr column, IReadOnlyList<string> values)
    {
        if (values.Count == 1) return Match(column, values[0]);
        return Options.CaseInsensitive
            ? Q.In(Q.Upper(column), values.Select(v => v.Trim().ToUpperInvariant()))
            : Q.In(column, values.Select(v => v.Trim()));
    }

    /// <summary>True when the block's source rules this provider out (a constant source that differs).</summary>
    protected bool SourceExcluded(QueryBlock block) =>
        block.Source is { } wanted && Options.Source is { } constant &&
        !string.Equals(Vocabulary.Normalize(QueryAttribute.Source, wanted, Aliases), Vocabulary.Normalize(QueryAttribute.Source, constant, Aliases), StringComparison.OrdinalIgnoreCase);

    /// <summary>The provider's value aliases from providers.yaml (set by the adapter).</summary>
    public ValueAliases Aliases { get; set; } = ValueAliases.None;

    /// <summary>Every spelling this provider may use for a value (VSO's, known synonyms, its own alias).</summary>
    protected IReadOnlyList<string> Spellings(QueryAttribute attribute, string value) => Vocabulary.Spellings(attribute, value, Aliases);

    /// <summary>A wave range that restricts nothing (0 to ∞, set only for a wave type).</summary>
    protected static bool IsUnbounded(WaveRange? wave) =>
        wave is null || wave.MinAngstrom <= 0 && double.IsPositiveInfinity(wave.MaxAngstrom);

    /// <summary>Numeric level from "2", "L2", "l2"; null when not a number.</summary>
    protected static long? NumericLevel(string level)
    {
        var t = level.Trim().TrimStart('L', 'l');
        return long.TryParse(t, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>The non-blank parts joined by spaces; null when none (called per record: no LINQ, no copy of a lone part).</summary>
    protected static string? Join(string? first, string? second)
    {
        // Called per returned record with values that mostly repeat row after row: the last joined text is reused.
        var last = t_lastJoin;
        if (last is not null && string.Equals(last.First, first, StringComparison.Ordinal) && string.Equals(last.Second, second, StringComparison.Ordinal))
            return last.Text;
        var text = Join([first, second]);
        t_lastJoin = new JoinedText(first, second, text);
        return text;
    }

    private sealed record JoinedText(string? First, string? Second, string? Text);

    [ThreadStatic] private static JoinedText? t_lastJoin;

    protected static string? Join(params string?[] parts)
    {
        string? text = null;
        foreach (var p in parts)
            if (!string.IsNullOrWhiteSpace(p)) text = text is null ? p : string.Concat(text, " ", p);
        return text;
    }
}
