# The two commands of README.md.
.PHONY: demo test

demo:  ## set up and run the demo (database autoreg_demo, http://localhost:8069)
	bash scripts/demo.sh

test:  ## run the whole test suite on a throwaway database
	bash scripts/test.sh
