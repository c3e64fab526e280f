# Warnings everywhere; errors in CI (LEMMA_WERROR=ON, set by `make test`).
add_compile_options(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter)
if(LEMMA_WERROR)
  add_compile_options(-Werror)
endif()
