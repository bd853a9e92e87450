namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>
/// What a New- or Set- command was given for one kind of definition, a null field meaning "not given". The rules
/// of what the parameters mean together live here, once, for creating and for changing alike; the definition's
/// <see cref="Definition.Validate"/> then checks the result.
/// </summary>
/// <typeparam name="T">The kind of definition the edit makes or changes.</typeparam>
public interface IDefinitionEdit<T>
    where T : Definition
{
    /// <summary>The kind of definition this edit is for.</summary>
    DefinitionKind Kind { get; }

    /// <summary>A new definition named <paramref name="name"/> from what was given (the rest as defaults).</summary>
    T Create(string name);

    /// <summary><paramref name="current"/> with what was given changed and the rest kept.</summary>
    T ApplyTo(T current);
}
