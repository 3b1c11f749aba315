Console.Error.WriteLine("parley: the command-line client is not built yet.");
return 1;
