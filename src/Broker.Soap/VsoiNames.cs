namespace Broker.Soap;

/// <summary>Fixed names of the VSOi SOAP interface (namespaces, actions, operations).</summary>
public static class VsoiNames
{
    /// <summary>The VSOi target namespace.</summary>
    public const string Namespace = "http://virtualsolar.org/VSO/VSOi";
    /// <summary>The SOAP 1.1 envelope namespace.</summary>
    public const string SoapEnvelope = "http://schemas.xmlsoap.org/soap/envelope/";
    /// <summary>The SOAP 1.1 encoding namespace (IDL's encodingStyle and arrays).</summary>
    public const string SoapEncoding = "http://schemas.xmlsoap.org/soap/encoding/";
    /// <summary>XML Schema instance namespace (2001); IDL before 2010 used the 1999 one.</summary>
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    public const string Xsi1999Namespace = "http://www.w3.org/1999/XMLSchema-instance";
    public const string XsdNamespace = "http://www.w3.org/2001/XMLSchema";

    public const string QueryOperation = "Query";
    public const string GetDataOperation = "GetData";
    public const string QueryAction = Namespace + "#" + QueryOperation;
    public const string GetDataAction = Namespace + "#" + GetDataOperation;

    /// <summary>Content type of every SOAP answer.</summary>
    public const string ContentType = "text/xml; charset=utf-8";

    /// <summary>The WSDL service name (zeep picks the first service).</summary>
    public const string ServiceName = "VSOiService";
    /// <summary>Port names clients ask for: sunpy's defaults and the NSO test port.</summary>
    public static readonly IReadOnlyList<string> PortNames = ["nsoVSOi", "sdacVSOi", "nsoTestVSOi"];
}
