// The start-up baseline for bench/startup.sh: the cheapest C++ program that prints a line.
#include <iostream>

int main() {
  std::cout << "hello, world\n";
  return 0;
}
