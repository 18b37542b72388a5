Console.WriteLine("DevBroker: not built yet");
