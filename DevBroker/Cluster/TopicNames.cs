namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>Kafka's rules for topic names.</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>Why <paramref name="name"/> is not a legal topic name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Topic name is empty.";
        }

        if (name is "." or "..")
        {
            return "Topic name cannot be '.' or '..'.";
        }

        if (name.Length > MaxLength)
        {
            return $"Topic name is longer than {MaxLength} characters.";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"Topic name '{name}' has '{c}'; only ASCII letters, digits, '.', '_' and '-' are legal.";
            }
        }

        return null;
    }
}
