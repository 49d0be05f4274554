namespace Broker.Adql;

/// <summary>Reserved words and identifier rules shared by the parser and the printer.</summary>
internal static class Keywords
{
    // Words with a grammatical role in the parser. They cannot be used as bare identifiers.
    // Other SQL-92 reserved words (LEVEL, SIZE, DESCRIPTOR, ...) are accepted bare on purpose:
    // real clients such as sunpy-soar send them unquoted.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALL", "AND", "ANY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CROSS", "DESC", "DISTINCT",
        "ELSE", "END", "ESCAPE", "EXCEPT", "EXISTS", "FALSE", "FROM", "FULL", "GROUP", "HAVING", "ILIKE",
        "IN", "INNER", "INTERSECT", "IS", "JOIN", "LEFT", "LIKE", "NATURAL", "NOT", "NULL", "OFFSET", "ON",
        "OR", "ORDER", "OUTER", "RIGHT", "SELECT", "SOME", "THEN", "TOP", "TRUE", "UNION", "USING", "WHEN",
        "WHERE", "WITH",
    };

    public static bool IsReserved(string word) => Reserved.Contains(word);

    public static bool IsRegularIdentifier(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
