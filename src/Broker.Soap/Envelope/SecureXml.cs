using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Broker.Soap.Envelope;

/// <summary>
/// Reads XML with every dangerous feature off (no DTD, no resolver, no entity expansion) into an
/// <see cref="XElement"/> tree, one node at a time so that nesting depth and element count are checked
/// while reading rather than after.
/// </summary>
public static class SecureXml
{
    /// <summary>Reader settings used for every XML document the broker reads.</summary>
    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        MaxCharactersInDocument = maxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>Writer settings: UTF-8 without BOM, no indentation and line breaks written as given (IDL reads them).</summary>
    public static XmlWriterSettings WriterSettings() => new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        NewLineHandling = NewLineHandling.None,
        CloseOutput = false,
    };

    /// <summary>
    /// Parses a document. Throws <see cref="SoapFaultException"/>: a Client fault for malformed XML, DTDs and
    /// limits, or a not-SOAP one when the bytes are not XML at all.
    /// </summary>
    public static XElement Load(ReadOnlyMemory<byte> bytes, SoapLimits limits)
    {
        if (!LooksLikeXml(bytes.Span))
            throw new SoapFaultException(new SoapFault(SoapFaultCode.Client, "the request is not XML: a SOAP 1.1 envelope was expected"), isNotSoap: true);
        if (ContainsDoctype(bytes.Span))
            throw SoapFaultException.Client("DTDs and entity declarations are not allowed in a SOAP request");
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, ReaderSettings(limits.MaxRequestBytes * 2));
            return Build(reader, limits);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw SoapFaultException.Client("DTDs and entity declarations are not allowed in a SOAP request");
        }
        catch (XmlException ex)
        {
            throw new SoapFaultException(new SoapFault(SoapFaultCode.Client, "malformed XML: " + ex.Message), inner: ex);
        }
    }

    private static XElement Build(XmlReader reader, SoapLimits limits)
    {
        var stack = new Stack<XElement>();
        XElement? root = null;
        var elements = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (++elements > limits.MaxElements)
                        throw SoapFaultException.Client($"the request has more than {limits.MaxElements} elements");
                    if (stack.Count >= limits.MaxDepth)
                        throw SoapFaultException.Client($"the request nests elements deeper than {limits.MaxDepth} levels");
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            // Declarations are not kept: every name in the tree is already fully qualified.
                            if (reader.NamespaceURI != XNamespace.Xmlns.NamespaceName)
                                element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    if (stack.Count > 0) stack.Peek().Add(element);
                    else root = element;
                    if (!reader.IsEmptyElement) stack.Push(element);
                    break;
                case XmlNodeType.EndElement:
                    stack.Pop();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    if (stack.Count > 0) stack.Peek().Add(new XText(reader.Value));
                    break;
                case XmlNodeType.EntityReference:
                case XmlNodeType.DocumentType:
                    throw SoapFaultException.Client("DTDs and entity declarations are not allowed in a SOAP request");
            }
        }
        return root ?? throw SoapFaultException.Client("malformed XML: the document has no root element");
    }

    /// <summary>True when the first non-blank character (after a BOM) is '&lt;'.</summary>
    private static bool LooksLikeXml(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        else if (bytes.Length >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF)) return true;
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'<';
        }
        return false;
    }

    private static bool ContainsDoctype(ReadOnlySpan<byte> bytes) =>
        bytes.IndexOf("<!DOCTYPE"u8) >= 0 || bytes.IndexOf("<!doctype"u8) >= 0 || bytes.IndexOf("<!ENTITY"u8) >= 0;
}
