namespace Microsoft.PowerShell.SecretManagement;

/// <summary>One secret as a vault holds it: a private copy of the value and of its metadata.</summary>
internal sealed class StoredSecret
{
    internal StoredSecret(string name, object value, Dictionary<string, object> metadata)
    {
        Name = name;
        Type = SecretValues.Classify(value);
        Value = value;
        Metadata = metadata;
    }

    internal string Name { get; }

    internal SecretType Type { get; }

    internal object Value { get; }

    internal Dictionary<string, object> Metadata { get; }
}
