namespace Broker.Adql;

/// <summary>When the printer delimits identifiers (<c>"level"</c>) for one provider.</summary>
public enum QuoteIdentifiers
{
    /// <summary>Delimited names the provider's VOSI /tables lists (when read), otherwise as <see cref="Reserved"/>.</summary>
    Auto,
    /// <summary>Every identifier.</summary>
    Always,
    /// <summary>ADQL 2.1 / SQL-92 reserved words and names that are not regular identifiers.</summary>
    Reserved,
    /// <summary>Only what cannot be written bare at all (grammar words, names with other characters).</summary>
    Never,
}

/// <summary>
/// A provider's identifier quoting: the mode, and for <see cref="QuoteIdentifiers.Auto"/> the names its VOSI /tables
/// lists delimited. Names the ADQL grammar cannot take bare are always delimited whatever the mode.
/// </summary>
public sealed record IdentifierQuoting(QuoteIdentifiers Mode, IReadOnlySet<string>? ListedDelimited = null)
{
    /// <summary>True when the identifier is written in double quotes.</summary>
    public bool Delimits(Identifier identifier) => Mode switch
    {
        QuoteIdentifiers.Always => true,
        QuoteIdentifiers.Never => false,
        QuoteIdentifiers.Auto when ListedDelimited is not null => ListedDelimited.Contains(identifier.Name),
        _ => identifier.Delimited || Keywords.IsSqlReserved(identifier.Name),
    };
}
