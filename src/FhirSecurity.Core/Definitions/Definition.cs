namespace FhirSecurity.Core.Definitions;

/// <summary>
/// What every definition has. Definitions are immutable: a change makes a new value with a higher
/// <see cref="Revision"/>, which is how caches notice it.
/// </summary>
public abstract record Definition
{
    /// <summary>The user's name for the definition (letters, digits, hyphens).</summary>
    public required string Name { get; init; }

    /// <summary>Starts at 1; every change made through the module adds one.</summary>
    public int Revision { get; init; } = 1;

    /// <summary>When the definition was last written.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>Which kind of definition this is.</summary>
    public abstract DefinitionKind Kind { get; }

    /// <summary>The definitions this one needs (a connection's auth and CA bundle).</summary>
    public virtual IEnumerable<DefinitionReference> References => [];

    /// <summary>Throws a <c>FhirSecurityException</c> naming the first rule this definition breaks.</summary>
    public abstract void Validate();
}

/// <summary>A reference from one definition to another, by kind and name.</summary>
/// <param name="Kind">The kind the reference must resolve to.</param>
/// <param name="Name">The referenced definition's name.</param>
public sealed record DefinitionReference(DefinitionKind Kind, string Name);
